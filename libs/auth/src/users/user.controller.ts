import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, ApiPageResponse, CurrentPrincipal, type Page, type Principal } from '#libs/core';
import { CreateUserDto, SetPasswordDto, UpdateUserDto, UserQuery, UserView } from './dto/user.dto.js';
import { UserService } from './user.service.js';

@ApiTags('users')
@Controller('users')
export class UserController {
  constructor(private readonly users: UserService) {}

  @Post()
  @Allow('admin')
  @ApiOperation({ summary: 'Create a staff account (nhân viên) with roles' })
  @ApiCreatedResponse({ type: UserView })
  create(@Body() dto: CreateUserDto, @CurrentPrincipal() principal: Principal): Promise<UserView> {
    return this.users.create(dto, principal);
  }

  @Get()
  // Reception too: it schedules items, and picks the technician from ?role=technician.
  @Allow('admin', 'reception')
  @ApiOperation({ summary: 'Staff accounts, filtered by ?q= and ?role= (admin; reception, to pick a technician)' })
  @ApiPageResponse(UserView)
  list(@Query() query: UserQuery): Promise<Page<UserView>> {
    return this.users.list(query);
  }

  @Get(':id')
  @Allow('staff')
  @ApiOperation({ summary: 'A staff account (an admin sees any; others only their own)' })
  @ApiOkResponse({ type: UserView })
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<UserView> {
    return this.users.get(id, principal);
  }

  @Patch(':id')
  @Allow('admin')
  @ApiOperation({ summary: 'Change roles, name, email, or (de)activate; the last active admin cannot be removed' })
  @ApiOkResponse({ type: UserView })
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateUserDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<UserView> {
    return this.users.update(id, dto, principal);
  }

  @Post(':id/password')
  @HttpCode(204)
  @Allow('staff')
  @ApiOperation({
    summary:
      'Set a password: an admin for anyone, or you for yourself with currentPassword. Ends the account’s sessions.',
  })
  @ApiNoContentResponse({ description: 'The password is set' })
  setPassword(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: SetPasswordDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    return this.users.setPassword(id, dto, principal);
  }
}
